class CustomerForm:
    """Form fields as properties; each getter/setter pair is one method."""

    def __init__(self, data):
        self._data = dict(data)

    @property
    def name(self):
        return self._data.get('name')

    @name.setter
    def name(self, value):
        self._data['name'] = value

    @property
    def email(self):
        return self._data.get('email')

    @email.setter
    def email(self, value):
        self._data['email'] = value

    @property
    def phone(self):
        return self._data.get('phone')

    @phone.setter
    def phone(self, value):
        self._data['phone'] = value

    @property
    def street(self):
        return self._data.get('street')

    @street.setter
    def street(self, value):
        self._data['street'] = value

    @property
    def city(self):
        return self._data.get('city')

    @city.setter
    def city(self, value):
        self._data['city'] = value

    @property
    def postcode(self):
        return self._data.get('postcode')

    @postcode.setter
    def postcode(self, value):
        self._data['postcode'] = value

    @property
    def country(self):
        return self._data.get('country')

    @country.setter
    def country(self, value):
        self._data['country'] = value

    @property
    def vat_id(self):
        return self._data.get('vat_id')

    @vat_id.setter
    def vat_id(self, value):
        self._data['vat_id'] = value

    @property
    def currency(self):
        return self._data.get('currency')

    @currency.setter
    def currency(self, value):
        self._data['currency'] = value

    @property
    def language(self):
        return self._data.get('language')

    @language.setter
    def language(self, value):
        self._data['language'] = value

    @property
    def timezone(self):
        return self._data.get('timezone')

    @timezone.setter
    def timezone(self, value):
        self._data['timezone'] = value

    @property
    def newsletter(self):
        return self._data.get('newsletter')

    @newsletter.setter
    def newsletter(self, value):
        self._data['newsletter'] = value

    class Meta:
        def fields(self):
            return []

        def labels(self):
            return {}
