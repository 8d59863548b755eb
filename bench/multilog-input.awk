# Realistic log lines for bench/multilog.sh, from a fixed seed: a mix of
# short status lines, typical request lines and the odd long stack dump.
#   awk -v seed=1 -v bytes=200000000 -f multilog-input.awk
BEGIN {
  srand(seed)
  split("GET POST PUT DELETE HEAD", verb, " ")
  split("/ /index.html /api/v1/users /api/v1/orders/12345 /static/app.js /login /health", path, " ")
  split("INFO WARN ERROR DEBUG", level, " ")
  pad = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua "
  while (pad_len = length(pad) < 4000) pad = pad pad
  total = 0
  while (total < bytes) {
    r = rand()
    if (r < 0.30) line = sprintf("%s health check ok pid=%d", level[1 + int(rand() * 4)], int(rand() * 65536))
    else if (r < 0.97) line = sprintf("10.%d.%d.%d - - \"%s %s HTTP/1.1\" %d %d \"-\" \"Mozilla/5.0 (X11; Linux x86_64)\" rt=%.3f",
      int(rand() * 256), int(rand() * 256), int(rand() * 256), verb[1 + int(rand() * 5)], path[1 + int(rand() * 7)],
      200 + int(rand() * 4) * 100, int(rand() * 100000), rand())
    else line = "ERROR trace: " substr(pad, 1, 200 + int(rand() * 3000))
    print line
    total += length(line) + 1
  }
}
