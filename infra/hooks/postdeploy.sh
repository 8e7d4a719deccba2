#!/usr/bin/env sh
# After deploy: the Event Grid subscriptions that need the deployed code to answer their validation.
set -eu
here=$(dirname "$0")
sh "$here/subscribe-batch-uploads.sh"
sh "$here/subscribe-carrier-events.sh"
