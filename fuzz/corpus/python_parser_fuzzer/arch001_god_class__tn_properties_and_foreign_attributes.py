class Account:
    def __init__(self, owner, balance=0):
        self._owner = owner
        self._balance = balance

    @property
    def owner(self):
        return getattr(self, '_owner', None)

    @owner.setter
    def owner(self, value):
        setattr(self, '_owner', value)

    @property
    def balance(self):
        return getattr(self, '_balance', None)

    @balance.setter
    def balance(self, value):
        setattr(self, '_balance', value)

    @property
    def currency(self):
        return getattr(self, '_currency', None)

    @currency.setter
    def currency(self, value):
        setattr(self, '_currency', value)

    @property
    def status(self):
        return getattr(self, '_status', None)

    @status.setter
    def status(self, value):
        setattr(self, '_status', value)

    @property
    def limit(self):
        return getattr(self, '_limit', None)

    @limit.setter
    def limit(self, value):
        setattr(self, '_limit', value)

    def deposit(self, *args):
        return self._owner.record('deposit', args)

    def withdraw(self, *args):
        return self._owner.record('withdraw', args)

    def freeze(self, *args):
        return self._owner.record('freeze', args)

    def unfreeze(self, *args):
        return self._owner.record('unfreeze', args)

    def close(self, *args):
        return self._owner.record('close', args)

    def reopen(self, *args):
        return self._owner.record('reopen', args)

    def statement(self, *args):
        return self._owner.record('statement', args)

    def history(self, *args):
        return self._owner.record('history', args)

    def transfer(self, *args):
        return self._owner.record('transfer', args)

    def fees(self, *args):
        return self._owner.record('fees', args)

    def interest(self, *args):
        return self._owner.record('interest', args)

    def summary(self, *args):
        return self._owner.record('summary', args)

    def export(self, *args):
        return self._owner.record('export', args)

    def notify(self, *args):
        return self._owner.record('notify', args)


class Copier:
    def fill(self, target, source):
        target.host = source.host
        target.port = source.port
        target.user = source.user
        target.password = source.password
        target.database = source.database
        target.timeout = source.timeout
        target.retries = source.retries
        target.pool_size = source.pool_size
        target.ssl = source.ssl
        target.ssl_ca = source.ssl_ca
        target.echo = source.echo
        target.isolation = source.isolation
        target.autocommit = source.autocommit
        target.charset = source.charset
        target.tz = source.tz
        target.app_name = source.app_name
        return target
