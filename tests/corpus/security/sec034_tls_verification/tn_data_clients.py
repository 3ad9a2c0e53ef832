"""Storage and search clients that verify their servers against the internal CA."""
import os

import boto3
import pymongo
import redis
from elasticsearch import Elasticsearch

CA = os.environ.get("INTERNAL_CA", "/etc/ssl/certs/internal-ca.pem")

s3 = boto3.client("s3", endpoint_url=os.environ["S3_ENDPOINT"], verify=CA)
search = Elasticsearch([os.environ["ES_URL"]], verify_certs=True, ca_certs=CA)
cache = redis.Redis(host=os.environ["REDIS_HOST"], ssl=True, ssl_cert_reqs="required", ssl_ca_certs=CA)
events = pymongo.MongoClient(os.environ["MONGO_URI"], tls=True, tlsCAFile=CA)
