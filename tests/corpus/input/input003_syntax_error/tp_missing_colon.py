def check(user):
    if user.is_admin  # expect: INPUT003
        return True
    return False
