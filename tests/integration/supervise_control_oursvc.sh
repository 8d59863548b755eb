#!/usr/bin/env bash
# supervise_control.sh with the letters sent by our svc.
SV_SVC=ours exec bash "$(dirname "$0")/supervise_control.sh"
