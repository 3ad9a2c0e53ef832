from crm.accounts import Account


class Contact:
    def __init__(self, email: str, account: Account):
        self.email = email
        self.account = account
        account.contacts.append(self)


def contacts_of(name: str) -> list:
    from crm import accounts
    return accounts.Account(name).contacts
