class Settings:  # expect: ARCH001
    def __init__(self, env):
        self.host = env.get('HOST')
        self.port = env.get('PORT')
        self.user = env.get('USER')
        self.password = env.get('PASSWORD')
        self.database = env.get('DATABASE')
        self.timeout = env.get('TIMEOUT')
        self.retries = env.get('RETRIES')
        self.pool_size = env.get('POOL_SIZE')
        self.ssl = env.get('SSL')
        self.ssl_ca = env.get('SSL_CA')
        self.echo = env.get('ECHO')
        self.isolation = env.get('ISOLATION')
        self.autocommit = env.get('AUTOCOMMIT')
        self.charset = env.get('CHARSET')
        self.tz = env.get('TZ')
        self.app_name = env.get('APP_NAME')

    def dsn(self):
        return f"{self.user}@{self.host}:{self.port}/{self.database}"
