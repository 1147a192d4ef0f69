#!/usr/bin/env bash
# The README's main job, as a data owner and an untrusted host would run it on one machine:
#   1. the data owner makes a key and seals Fashion-MNIST (train and test) with it;
#   2. the host trains the default small CNN with AsymML: it reads only ciphertext, the enclave opens it with the key;
#   3. the trained model classifies the sealed test set; the predictions come back sealed to the owner's key,
#      and the owner opens them.
# Usage: [EPOCHS=n] scripts/private-training.sh [output-folder] [more asymml train options, e.g. --enclave-process]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out}
shift || true
epochs=${EPOCHS:-2}
mkdir -p "$out"
key="$out/owner.key"

# Build once, then run the built command (asymml would check the build before every step).
dotnet build src/AsymML.Cli -c Release -nologo -v quiet
asymml() { dotnet src/AsymML.Cli/bin/Release/net10.0/AsymML.Cli.dll "$@"; }

asymml keygen --out "$key" --force
asymml seal --data fashion-mnist --split train --key "$key" --out "$out/train.asymdata" --force
asymml seal --data fashion-mnist --split test --key "$key" --out "$out/test.asymdata" --force
asymml train --data "$out/train.asymdata" --test-data "$out/test.asymdata" --key "$key" \
  --model small-cnn --mode asym --epochs "$epochs" --batch 128 --optimizer adam --lr 0.001 --seed 1 \
  --checkpoint "$out/checkpoint" --json "$out/train.json" --plot "$out/curves.png" "$@"
asymml infer --model "$out/checkpoint" --data "$out/test.asymdata" --key "$key" \
  --predictions "$out/predictions.sealed" --json "$out/infer.json"
asymml unseal --in "$out/predictions.sealed" --key "$key" --out "$out/predictions.csv"
echo "Figures: $out/train.json, $out/infer.json; curves: $out/curves.png; predictions (opened by the owner): $out/predictions.csv"
