from flask import request, send_file
import os
def dl():
    name = request.args['f']
    return open(os.path.join('/srv', name)).read()
