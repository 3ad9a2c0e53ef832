def ñandú(ä, 变量):
    return ä + 变量  # ünïcødé
