#!/usr/bin/env sh
# After deploy: have Event Grid deliver Communication Services' events (delivery reports, inbound SMS) to the Api
# app. Event Grid validates the endpoint when the subscription is made, so the subscription is provisioned (Bicep,
# carrierEventsSubscription=on) only once the Api app's code answers; after that every provision keeps it.
set -eu
if [ "${CARRIER_EVENTS_SUBSCRIPTION:-off}" != "on" ]; then
  azd env set CARRIER_EVENTS_SUBSCRIPTION on
  azd provision --no-prompt
fi
echo "Delivery reports and inbound SMS now reach the Api app."
