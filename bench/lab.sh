#!/usr/bin/env bash
# Device lab over the five pinned example models on three memory classes (docs/device-lab.md):
# prints the measured-vs-estimated table and writes target/satchel-lab-bench/lab.json and each model's
# build report files with the lab section (target/satchel-lab-bench/<model>/report.{json,md,html},
# junit.xml, report.sarif). Exits 1 when a case disagrees with the check. Needs lab/setup.sh first.
# Uses the CLI built by ./satchel; extra arguments go to 'satchel lab' (e.g. --runs 10).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/satchel-lab-bench
ort_version=$(sed -n 's/.*<onnxruntime.version>\(.*\)<.*/\1/p' pom.xml)
./satchel lab example:minilm-q example:minilm example:hello-deepa example:silero-vad example:ppocr-det \
  --device android-go-1gb --device android-go-2gb --device raspberry-pi-4 \
  --dim batch_size=1 --dim sequence_length=128 --dim batch=1 --dim sequence=512 \
  --dim p2o.DynamicDimension.0=1 --dim p2o.DynamicDimension.1=640 --dim p2o.DynamicDimension.2=480 \
  --onnxruntime-jar "$HOME/.m2/repository/com/microsoft/onnxruntime/onnxruntime/$ort_version/onnxruntime-$ort_version.jar" \
  --work target/satchel-lab-bench -o target/satchel-lab-bench/lab.json "$@"
