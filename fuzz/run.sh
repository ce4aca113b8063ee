#!/usr/bin/env bash
# Coverage-guided fuzzing of agon with AFL++ (cargo-afl, stable toolchain). Not run in CI.
#
#   ./run.sh TARGET [SECONDS]   fuzz one target for SECONDS (default 120)
#   ./run.sh all [SECONDS]      each target in turn
#   ./run.sh replay [FILE|DIR]  no AFL needed: every target over its seeds and findings
#                               (or one target: TARGET=session ./run.sh replay out/session/...)
#
# Targets: session, claims, decode, config, theme, sanitize (fuzz/src/targets.rs).
# Needs cargo-afl: `cargo install cargo-afl`, then `cargo afl config --build` once (builds
# AFL++). Findings land in out/TARGET/default/crashes and hangs; copy a fixed one into
# seeds/TARGET so `cargo test --test fuzz_seeds` keeps it fixed.
set -euo pipefail
cd "$(dirname "$0")"
targets=(session claims decode config theme sanitize)
what="${1:?usage: ./run.sh TARGET|all [SECONDS] | ./run.sh replay [PATH...]}"

if [ "$what" = replay ]; then
    shift
    cargo build --release --bins
    for t in ${TARGET:-${targets[@]}}; do
        inputs=("$@")
        if [ ${#inputs[@]} -eq 0 ]; then
            inputs=("seeds/$t")
            for d in "out/$t/default/crashes" "out/$t/default/hangs" "out/$t/default/queue"; do
                [ -d "$d" ] && inputs+=("$d")
            done
        fi
        "target/release/$t" "${inputs[@]}"
    done
    exit 0
fi

seconds="${2:-120}"
[ "$what" = all ] && list=("${targets[@]}") || list=("$what")
# A shared machine: no CPU governor or core-dump tuning is possible or needed here.
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1
export AFL_NO_AFFINITY=1
mkdir -p out
for t in "${list[@]}"; do
    cargo afl build --release --features afl --bin "$t"
    # Dictionaries of the formats' words help AFL get past the JSON, TOML and claims syntax.
    dict=()
    case "$t" in
        config | theme) dict=(-x dict/toml.dict) ;;
        *) [ -f "dict/$t.dict" ] && dict=(-x "dict/$t.dict") ;;
    esac
    cargo afl fuzz -i "seeds/$t" -o "out/$t" -V "$seconds" "${dict[@]}" -- "target/release/$t"
done
