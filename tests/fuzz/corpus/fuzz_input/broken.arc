filedesc://seed.arc 0.0.0.0 20240102030405 text/plain 73
1 0 news-archive
URL IP-address Archive-date Content-type Archive-length

http://news.example/bad 192.0.2.1 20240102030406 text/html twelve
HTTP/1.1 200 OK
Content-Type: text/html

<p>lost</p>

http://news.example/a 192.0.2.1 20240230120000 text/html 187
HTTP/1.1 200 OK
Content-Type: text/html

<!DOCTYPE html><html><head><title>Seed</title></head><body><article><h1>Seed</h1><p>A page captured in an ARC file.</p></article></body></html>
http://news.example/cut 192.0.2.1 20240102030406 text/html 500
HTTP/1.1 200 OK
