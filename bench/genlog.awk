# Generate realistic log lines, deterministically (fixed seed), until
# `bytes` bytes are written. Line lengths, newline included, run from 20 to
# 300 bytes: a few short, most 50-170, a tail of long ones. Printable ASCII.
#   awk -v bytes=209715200 [-v seed=7] -f bench/genlog.awk > input
function pick(a, n) { return a[1 + int(rand() * n)] }
function hex(n,   s) {
  s = ""
  while (n-- > 0) s = s substr("0123456789abcdef", 1 + int(rand() * 16), 1)
  return s
}
function ip() {
  return (10 + int(rand() * 180)) "." int(rand() * 256) "." int(rand() * 256) "." int(rand() * 256)
}
BEGIN {
  if (seed == "") seed = 7
  srand(seed)
  nm = split("GET GET GET GET POST POST PUT DELETE HEAD", meth, " ")
  nl = split("INFO INFO INFO INFO DEBUG DEBUG WARN ERROR NOTICE", lvl, " ")
  nc = split("api auth db cache worker scheduler mailer http sshd cron queue billing", comp, " ")
  np = split("/ /index.html /api/v1/items /api/v1/users /static/app.js /static/style.css /login /logout /health /metrics /search /cart/checkout", path, " ")
  ns = split("200 200 200 200 200 304 301 404 500 502 403", status, " ")
  nw = split("connection accepted from client request completed in ms user session \
expired token refreshed cache miss hit for key query took rows returned \
retrying after backoff upstream timeout while reading response header \
worker started job finished queue depth is now processed batch of records \
disk usage at percent checkpoint complete transaction committed rolled back \
warning deprecated option ignored listening on port shutting down gracefully", word, " ")
  total = 0
  while (total < bytes) {
    r = rand()
    if (r < 0.1) len = 20 + int(rand() * 30)
    else if (r < 0.85) len = 50 + int(rand() * 121)
    else len = 171 + int(rand() * 130)
    k = int(rand() * 4)
    if (k == 0)
      line = ip() " - - \"" pick(meth, nm) " " pick(path, np) "?id=" int(rand() * 100000) " HTTP/1.1\" " pick(status, ns) " " int(rand() * 90000)
    else if (k == 1)
      line = pick(lvl, nl) " [" pick(comp, nc) "-" int(rand() * 16) "] " pick(word, nw) " " pick(word, nw)
    else if (k == 2)
      line = "pid=" int(rand() * 32768) " req=" hex(16) " dur=" int(rand() * 5000) "ms " pick(comp, nc) ":"
    else
      line = pick(comp, nc) "[" int(rand() * 32768) "]: " pick(word, nw)
    while (length(line) < len - 1) line = line " " pick(word, nw)
    line = substr(line, 1, len - 1)
    print line
    total += len
  }
}
