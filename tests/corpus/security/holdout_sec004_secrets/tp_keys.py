import googlemaps

MAPS = googlemaps.Client(key="AIzaSyD4kP9qX2vB7nL0mZ3wT8rY5uJ1hC6fE2g")  # expect: SEC004

SIGNING_KEY = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\nVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n-----END RSA PRIVATE KEY-----\n"  # expect: SEC004
