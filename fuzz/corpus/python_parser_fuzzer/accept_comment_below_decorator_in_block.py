class C:
    @property
  # c
    def p(self):
        return 1
