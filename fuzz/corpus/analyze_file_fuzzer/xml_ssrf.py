import requests, xml.etree.ElementTree as ET, hashlib, random
requests.get(request.args['u'], verify=False)
ET.fromstring(data)
hashlib.md5(pw).hexdigest()
random.random()
app.run(debug=True)
