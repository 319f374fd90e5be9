#!/usr/bin/env bash
# Kill-during-save test for long runs: the same loop as tests/crash.rs, in bash, for as
# many rounds as you like (docs/robustness.md).
#
# Each round starts `policy-workbench stress-save PROJECT --count SAVES` (load, then
# SAVES times: change one rationale and save through persist::save_path, the app's
# atomic path), waits until it has loaded, sleeps a random time within the saving
# window, and kills it with SIGKILL. Then it checks:
#   - the project is there, passes `validate` and `fmt --check` (canonical, byte for
#     byte what a save writes), and its save counter never went back or jumped;
#   - PROJECT.bak, when present, passes the same checks and is not newer;
#   - the kill left at most one .pw-save-*.tmp and one .pw-bak-*.tmp behind (removed
#     before the next round), and nothing else.
#
# Usage: scripts/crash-test.sh [--rounds N] [--saves K] [--seed S] [--release] [--keep] [FILE]
#        scripts/crash-test.sh --rust SECS [--rounds N] [--seed S] [--release]
#   --rust SECS  run the long version of tests/crash.rs instead of this loop: the same
#                checks in Rust, for up to SECS seconds (PW_CRASH_BUDGET_SECS; in
#                `cargo test` it is 3) and up to --rounds rounds (PW_CRASH_ROUNDS)
#   --rounds N   rounds to run (default 1000)
#   --saves K    saves per run of the binary (default 2)
#   --seed S     seed of the delays (bash RANDOM; default 1), for reproducible runs
#   --release    use a release build (faster saves, so more kills per minute)
#   --keep       keep the work folder at the end (it is printed)
#   FILE         project to save over and over (a copy is used); default: a generated
#                project of about 330 KB (PW_CRASH_MECHANISMS / _CRITERIA / _ANALYSTS
#                change its size)
# Exit 0 when every round passed; 1 with the round and the reason otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=1000 saves=2 seed=1 profile=debug keep=0 file="" rust_secs=""
while [ $# -gt 0 ]; do
    case "$1" in
        --rust) rust_secs="$2"; shift 2 ;;
        --rounds) rounds="$2"; shift 2 ;;
        --saves) saves="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --release) profile=release; shift ;;
        --keep) keep=1; shift ;;
        -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
        -*) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
        *) file="$1"; shift ;;
    esac
done
cargo_profile=()
[ "$profile" = release ] && cargo_profile=(--release)

if [ -n "$rust_secs" ]; then
    echo "running tests/crash.rs for up to $rust_secs s and $rounds rounds ($profile)…"
    PW_CRASH_BUDGET_SECS="$rust_secs" PW_CRASH_ROUNDS="$rounds" PW_CRASH_SEED="$seed" \
        exec cargo test --no-default-features "${cargo_profile[@]}" --test crash -- \
        --exact killing_a_save_never_leaves_a_broken_file --nocapture
fi

echo "building the binary ($profile, without the GUI)…"
cargo build --quiet --no-default-features "${cargo_profile[@]}" --bin policy-workbench
bin="$PWD/target/$profile/policy-workbench"

work="$(mktemp -d "${TMPDIR:-/tmp}/pw-crash.XXXXXX")"
project="$work/project.json"
bak="$project.bak"
cleanup() {
    if [ "$keep" = 1 ]; then echo "work folder kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

if [ -n "$file" ]; then
    cp "$file" "$project"
else
    echo "generating the project…"
    PW_CRASH_PROJECT="$project" cargo test --quiet --no-default-features "${cargo_profile[@]}" \
        --test crash -- --ignored --exact write_generated_project >/dev/null
fi
"$bin" validate "$project" >/dev/null || { echo "the start file does not validate" >&2; exit 1; }
"$bin" fmt "$project" >/dev/null # make it canonical, so every check below is exact
rm -f "$bak"

now_us() { echo $(( $(date +%s%N) / 1000 )); }

# The save counter in the file (0 before the first save).
counter() {
    local m
    m="$(grep -o -m 1 '\[stress-save [0-9]*\]' "$1" | head -n 1 | tr -dc 0-9 || true)"
    echo "${m:-0}"
}

fail() {
    echo "FAIL round $round: $*" >&2
    keep=1
    exit 1
}

check_file() { # PATH WHAT
    "$bin" validate "$1" >/dev/null 2>&1 || fail "$2 does not validate: $("$bin" validate "$1" 2>&1 | head -n 5)"
    "$bin" fmt --check "$1" >/dev/null 2>&1 || fail "$2 is not in canonical form"
}

# Starts the saver; returns once it printed "loaded" (its out file names the pid).
start() {
    : >"$work/out"
    "$bin" stress-save "$project" --count "$saves" >"$work/out" 2>"$work/err" &
    pid=$!
    until grep -q loaded "$work/out" 2>/dev/null; do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" || true; fail "stress-save stopped: $(cat "$work/err")"; }
        sleep 0.002
    done
}

round=calibration
t0="$(now_us)"
start
t1="$(now_us)"
wait "$pid" || fail "stress-save failed: $(cat "$work/err")"
window_us=$(( $(now_us) - t1 ))
max_delay_us=$(( window_us * 11 / 10 + 1000 ))
n="$(counter "$project")"
[ "$n" = "$saves" ] || fail "a run that was not killed saved $n times, not $saves"
echo "one run: $(( (t1 - t0) / 1000 )) ms to load, $(( window_us / 1000 )) ms for $saves saves; file $(( $(stat -c %s "$project") / 1024 )) KB"

RANDOM="$seed"
killed=0 finished=0 mid_write=0 mid_backup=0 started_at="$(date +%s)"
for round in $(seq 1 "$rounds"); do
    delay_us=$(( (RANDOM * 32768 + RANDOM) % max_delay_us ))
    start
    sleep "$(printf '%d.%06d' $(( delay_us / 1000000 )) $(( delay_us % 1000000 )))"
    kill -KILL "$pid" 2>/dev/null || true
    if wait "$pid" 2>/dev/null; then finished=$((finished + 1)); else
        status=$?
        [ "$status" = 137 ] || fail "stress-save failed with exit $status: $(cat "$work/err")"
        killed=$((killed + 1))
    fi

    [ -f "$project" ] || fail "the project file is missing"
    check_file "$project" "the project"
    now="$(counter "$project")"
    { [ "$now" -ge "$n" ] && [ "$now" -le $(( n + saves )) ]; } ||
        fail "save counter $now after $n (at most $saves saves per run)"
    n="$now"
    if [ -e "$bak" ]; then
        check_file "$bak" "the .bak"
        [ "$(counter "$bak")" -le "$n" ] || fail "the .bak is newer than the project"
    fi

    save_tmp=0 bak_tmp=0
    for f in "$work"/.[!.]* "$work"/*; do
        [ -e "$f" ] || continue
        case "$(basename "$f")" in
            project.json|project.json.bak|out|err) ;;
            .pw-save-*.tmp) save_tmp=$((save_tmp + 1)); rm -f "$f" ;;
            .pw-bak-*.tmp) bak_tmp=$((bak_tmp + 1)); check_file "$f" "a backup link"; rm -f "$f" ;;
            *.lock) rm -f "$f" ;;
            *) fail "unexpected file $(basename "$f")" ;;
        esac
    done
    [ "$save_tmp" -le 1 ] && [ "$bak_tmp" -le 1 ] || fail "$save_tmp save and $bak_tmp backup temporaries left"
    mid_write=$((mid_write + save_tmp)) mid_backup=$((mid_backup + bak_tmp))
    if [ $((round % 100)) = 0 ]; then
        echo "round $round: $killed killed, $finished finished, $mid_write mid-write, counter $n"
    fi
done
echo "passed: $rounds rounds in $(( $(date +%s) - started_at )) s; $killed killed ($mid_write during a write, $mid_backup during the backup), $finished finished; $n saves completed"
