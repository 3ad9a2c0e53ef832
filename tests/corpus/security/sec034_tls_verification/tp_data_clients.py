"""Storage and search clients for the reporting job."""
import os

import boto3
import pymongo
import redis
from elasticsearch import Elasticsearch

# The MinIO gateway uses a self-signed certificate.
s3 = boto3.client("s3", endpoint_url=os.environ["S3_ENDPOINT"], verify=False)  # expect: SEC034

search = Elasticsearch(  # expect: SEC034
    [os.environ["ES_URL"]],
    basic_auth=("reporter", os.environ["ES_PASSWORD"]),
    verify_certs=False,
)

cache = redis.Redis(host=os.environ["REDIS_HOST"], port=6380, ssl=True, ssl_cert_reqs=None)  # expect: SEC034

events = pymongo.MongoClient(os.environ["MONGO_URI"], tls=True, tlsAllowInvalidCertificates=True)  # expect: SEC034
