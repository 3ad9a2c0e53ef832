class User:
    _rows = {}

    @classmethod
    def get(cls, user_id):
        return cls._rows.get(user_id)
