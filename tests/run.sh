#!/usr/bin/env bash
# Runs the whole LiteKube test suite, as CI does (.ci/run calls exactly this):
#
#   tests/run.sh                          everything, slow tests included
#   tests/run.sh --filter 'Category!=Slow'   extra arguments go to `dotnet test`
#
# Installs what the tests need from Debian's packages when it is missing (etcdctl from
# etcd-client for the end-to-end tests, etcd from etcd-server as the real peer, iptables for the
# partitions of the fault runs), builds the
# solution, runs every test project and ends with one line: "N passed, N failed, N skipped".
# Exits non-zero when anything failed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

install_prerequisites() {
    local missing=()
    command -v etcdctl > /dev/null || missing+=(etcd-client)
    command -v etcd > /dev/null || missing+=(etcd-server)
    # The fault runs (tests/LiteKube.Datastore.Tests/Faults) partition members with iptables.
    [ -x /usr/sbin/iptables ] || missing+=(iptables)
    ((${#missing[@]} == 0)) && return 0

    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo > /dev/null || { echo "tests/run.sh: need root or sudo to install ${missing[*]}" >&2; exit 1; }
        sudo=(sudo)
    fi
    echo "tests/run.sh: installing ${missing[*]} from Debian's packages"
    # Debian starts etcd.service when etcd-server is installed on a systemd machine; the tests
    # start their own etcd, so keep the package from starting one on 127.0.0.1:2379.
    local policy=/usr/sbin/policy-rc.d added_policy=false
    if [ ! -e "${policy}" ]; then
        printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "${policy}" > /dev/null
        "${sudo[@]}" chmod 0755 "${policy}"
        added_policy=true
    fi
    local status=0
    "${sudo[@]}" apt-get update -qq && \
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null \
        || status=$?
    if [ "${added_policy}" = true ]; then
        "${sudo[@]}" rm -f "${policy}"
    fi
    if [ "${status}" -ne 0 ]; then
        echo "tests/run.sh: apt-get install ${missing[*]} failed" >&2
        exit "${status}"
    fi
}

# Sums the Counters of every TRX file: the closing line CI reads.
summarize() {
    local results=$1 passed=0 failed=0 skipped=0 file counters
    attribute() {
        local value
        value=$(sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<< "${counters}")
        echo "${value:-0}"
    }
    for file in "${results}"/*.trx; do
        [ -e "${file}" ] || continue
        counters=$(grep -o '<Counters [^>]*>' "${file}" | head -n 1)
        passed=$((passed + $(attribute passed)))
        failed=$((failed + $(attribute failed) + $(attribute error) + $(attribute timeout) + $(attribute aborted)))
        # The TRX logger leaves notExecuted at 0 for skipped tests: they are total - executed.
        skipped=$((skipped + $(attribute total) - $(attribute executed)))
    done
    if [ "${2}" -ne 0 ] && [ "${failed}" -eq 0 ]; then
        # The run failed without a failed test (build error, crashed test host): count it.
        echo "tests/run.sh: dotnet test exited with ${2} (build error or crashed test host; see above)"
        failed=1
    fi
    echo "${passed} passed, ${failed} failed, ${skipped} skipped"
    [ "${failed}" -eq 0 ]
}

install_prerequisites
results=artifacts/test-results
rm -rf "${results}"
start=${SECONDS}
status=0
# The hang timeout ends a stuck test host instead of the whole CI budget.
dotnet test LiteKube.sln --logger "trx;LogFilePrefix=litekube" --results-directory "${results}" \
    --blame-hang-timeout 15m --blame-hang-dump-type none "$@" || status=$?
echo "tests/run.sh: took $((SECONDS - start)) s"
summarize "${results}" "${status}"
