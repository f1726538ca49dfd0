#!/bin/sh
# Publishes a Mailroom job from a shell script, the safe way (docs/job-format.md, "Publishing a job"):
# write it in SPOOL/tmp/, fsync it, rename it into SPOOL/new/, fsync SPOOL/new/. A worker never sees a
# half-written job, and once this script exits 0 the job survives a crash or a power cut.
#
#   publish-job.sh SPOOL [FILE|-] [ID]      prints the job's ID
#
# SPOOL is the spool folder (MAILROOM_HOME/spool, /var/lib/mailroom/spool under systemd). FILE is the job
# (default: stdin). ID is the job's identity everywhere (log, status, custom_args.mailroom_job); give your
# own (an order number, say) so that retrying this script cannot send twice; without one a new ID is made.
# The job is not validated here: `mailroom enqueue` does that (and all of this) when the binary is at hand,
# otherwise the worker refuses an invalid job into SPOOL/failed/ with the reason.
# Needs only POSIX sh and coreutils (sync FILE needs coreutils 8.24 or newer).
set -eu

usage() {
    echo "usage: $0 SPOOL [FILE|-] [ID]" >&2
    exit 64
}

[ $# -ge 1 ] && [ $# -le 3 ] || usage
spool=$1
source=${2:--}
id=${3:-$(date -u +%Y%m%dT%H%M%SZ)-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')}

# IDs: 1-128 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit.
case $id in
    '' | [._-]* | *[!A-Za-z0-9._-]*) valid=no ;;
    *) valid=yes ;;
esac
if [ "$valid" = no ] || [ ${#id} -gt 128 ]; then
    echo "$0: invalid job ID: $id (1-128 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit)" >&2
    exit 65
fi
if [ ! -d "$spool/tmp" ] || [ ! -d "$spool/new" ]; then
    echo "$0: $spool is not a Mailroom spool (no tmp/ and new/; any mailroom command with --spool creates them)" >&2
    exit 66
fi
if [ -e "$spool/new/$id.json" ]; then
    # Same ID, same job: it is already waiting. (A job that was sent is dropped by the worker as a duplicate.)
    echo "$0: job $id is already in $spool/new; nothing written" >&2
    echo "$id"
    exit 0
fi

# A name of our own in tmp/, so concurrent writers never share a file; the worker never looks in tmp/.
temporary="$spool/tmp/$id.$$.tmp"
trap 'rm -f "$temporary"' EXIT
if [ "$source" = - ]; then
    cat > "$temporary"
else
    cat -- "$source" > "$temporary"
fi
[ -s "$temporary" ] || { echo "$0: the job is empty" >&2; exit 65; }

sync -- "$temporary"                       # the job's bytes are on disk
mv -f -- "$temporary" "$spool/new/$id.json" # rename(2): published at once, whole
sync -- "$spool/new"                        # the folder entry is on disk too
trap - EXIT
echo "$id"
