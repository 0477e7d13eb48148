#!/usr/bin/env bash
# The whole Likeness test suite on a fresh machine: installs what the tests need, then runs every test project.
# Tests start their own redis-server on free loopback ports and the services on loopback; nothing else needs to run.
#   Debian packages: redis-server; python3-grpcio with protoc and its gRPC Python plugin (the Python client; protoc
#   and the well-known types also generate the preview page's messages);
#   chromium (the preview page); ffmpeg (the CLI's MP4 clips);
#   python3-torch with libopenblas0-pthread (the video denoiser's PyTorch reference, checked equal to Likeness's).
#   public-domain test photos unpacked from python3-skimage and python-matplotlib-data (tests/photos/fetch.sh).
#   npm: tests/clients/node (the Node client and the browser driver) and the preview page's script build
#   (services/Likeness.Generator/PreviewPage/Script: protoc-gen-es, tsc, esbuild; the tests check its committed bundle),
#   and the buf CLI (tools/buf: the protos' lint and breaking-change checks), each from its package-lock.json.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
/usr/bin/python3 -c "import grpc" >/dev/null 2>&1 || missing+=(python3-grpcio)
/usr/bin/python3 -c "import torch" >/dev/null 2>&1 || missing+=(python3-torch libopenblas0-pthread)
command -v protoc >/dev/null 2>&1 || missing+=(protobuf-compiler)
[ -x /usr/bin/grpc_python_plugin ] || missing+=(protobuf-compiler-grpc)
[ -f /usr/include/google/protobuf/duration.proto ] || missing+=(libprotobuf-dev)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages the tests need: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

tests/photos/fetch.sh

npm ci --prefix tests/clients/node --no-audit --no-fund --loglevel=error
npm ci --prefix services/Likeness.Generator/PreviewPage/Script --no-audit --no-fund --loglevel=error
npm ci --prefix tools/buf --no-audit --no-fund --loglevel=error

# The API checked as gRPC APIs are: buf's STANDARD lint rules (exceptions justified in protos/buf.yaml), and no
# breaking change against protos/api-image.binpb, the contract as released (docs/api.md says when to renew it).
(cd protos && ../tools/buf/node_modules/.bin/buf lint && ../tools/buf/node_modules/.bin/buf breaking --against api-image.binpb)

dotnet test Services.sln -c Release "$@"
