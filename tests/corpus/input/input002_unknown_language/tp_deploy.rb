# expect: INPUT002
require "net/http"

Net::HTTP.get(URI("https://example.com/health"))
