#!/usr/bin/env bash
# make_test_ca.sh OUT_DIR -- creates a throw-away test CA and a server
# certificate for 127.0.0.1/localhost with the openssl CLI:
#   OUT_DIR/ca.pem       the CA certificate (pass as `ca_file:` / ca_file)
#   OUT_DIR/server.pem   server certificate signed by the CA (SAN 127.0.0.1, localhost)
#   OUT_DIR/server.key   its private key (unencrypted)
# Idempotent: does nothing when all three files already exist. Never use
# these files outside tests (the CA key is left in OUT_DIR/ca.key).
set -euo pipefail
out="${1:?usage: make_test_ca.sh OUT_DIR}"
mkdir -p "$out"
cd "$out"
if [ -s ca.pem ] && [ -s server.pem ] && [ -s server.key ]; then
  exit 0
fi
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -sha256 \
  -keyout ca.key -out ca.pem -subj "/CN=Halo Test CA" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -sha256 \
  -keyout server.key -out server.csr -subj "/CN=localhost" 2>/dev/null
cat > server.ext <<'EOF'
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,DNS:localhost
EOF
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
  -days 30 -sha256 -extfile server.ext -out server.pem 2>/dev/null
rm -f server.csr server.ext ca.srl
