# timed_run.sh -- sourced by the benchmark scripts (needs $BIN).
#   timed_run LABEL PIPELINE SUMMARY [FIELD...]
# runs `halo run PIPELINE -q --summary-json SUMMARY` under /usr/bin/time and
# prints one line: LABEL, wall seconds, peak RSS, CPU seconds (user +
# system) of the halo process, then each FIELD of the run
# summary (a dotted path such as stage_seconds.segments) with its value.
timed_run() {
  local label=$1 pipeline=$2 summary=$3 start end
  shift 3
  start=$(date +%s.%N)
  /usr/bin/time -f "%M %U %S" "$BIN/halo" run "$pipeline" -q --summary-json "$summary" \
    2> "$summary.time"
  end=$(date +%s.%N)
  python3 - "$label" "$start" "$end" "$(tail -1 "$summary.time")" "$summary" "$@" <<'PY'
import json, sys
label, start, end, usage, path, *fields = sys.argv[1:]
rss_kb, user, system = usage.split()
s = json.load(open(path))
parts = [f"{label:26} {float(end) - float(start):6.2f} s", f"peak RSS {int(rss_kb) / 1024:4.0f} MiB",
         f"cpu {float(user) + float(system):5.2f} s"]
for field in fields:
    value = s
    for key in field.split("."):
        value = value[key]
    parts.append(f"{field} {value:.2f}" if isinstance(value, float) else f"{field} {value}")
print(", ".join(parts))
PY
}
