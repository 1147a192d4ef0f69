#!/usr/bin/env bash
# Installs what AsymML needs on a fresh Debian 12 machine: the Fashion-MNIST data set (Debian package
# dataset-fashion-mnist, files under /usr/share/datasets/fashion-mnist/) and the NuGet packages (dotnet restore).
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! dpkg -s dataset-fashion-mnist >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: dataset-fashion-mnist is missing; run as root or: sudo apt-get install -y dataset-fashion-mnist" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq dataset-fashion-mnist >/dev/null
fi

dotnet restore AsymML.slnx --verbosity quiet
