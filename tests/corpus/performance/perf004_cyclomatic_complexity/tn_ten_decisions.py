def validate(user):
    errors = []
    if not user.name:
        errors.append("name")
    if not user.email or "@" not in user.email:
        errors.append("email")
    if user.age is not None and user.age < 0:
        errors.append("age")
    for role in user.roles:
        if role not in ("admin", "staff"):
            errors.append(role)
    try:
        user.check()
    except ValueError:
        errors.append("check")
    return errors
