from pickle import loads
import yaml, marshal
loads(data)
yaml.load(s)
yaml.load(s, Loader=yaml.SafeLoader)
marshal.loads(b)
