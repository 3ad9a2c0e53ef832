class G:
    def m0(self):
        self.a0 = 0
    def m1(self):
        self.a1 = 1
    def m2(self):
        self.a2 = 2
    def m3(self):
        self.a3 = 3
    def m4(self):
        self.a4 = 4
    def m5(self):
        self.a5 = 5
    def m6(self):
        self.a6 = 6
    def m7(self):
        self.a7 = 7
    def m8(self):
        self.a8 = 8
    def m9(self):
        self.a9 = 9
    def m10(self):
        self.a10 = 10
    def m11(self):
        self.a11 = 11
    def m12(self):
        self.a12 = 12
    def m13(self):
        self.a13 = 13
    def m14(self):
        self.a14 = 14
    def m15(self):
        self.a15 = 15
    def m16(self):
        self.a16 = 16
    def m17(self):
        self.a17 = 17
    def m18(self):
        self.a18 = 18
    def m19(self):
        self.a19 = 19
    def m20(self):
        self.a20 = 20
    def m21(self):
        self.a21 = 21
    def m22(self):
        self.a22 = 22
    def m23(self):
        self.a23 = 23
    def m24(self):
        self.a24 = 24
    def m25(self):
        self.a25 = 25
    def m26(self):
        self.a26 = 26
    def m27(self):
        self.a27 = 27
    def m28(self):
        self.a28 = 28
    def m29(self):
        self.a29 = 29
