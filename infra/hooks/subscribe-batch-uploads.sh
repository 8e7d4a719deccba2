#!/usr/bin/env sh
# After deploy: subscribe the Batch app's blob trigger to BlobCreated events of the upload container. The
# endpoint carries the blob extension's system key, which exists only once the app's code is deployed.
set -eu
key=$(az functionapp keys list --resource-group "$AZURE_RESOURCE_GROUP" --name "$BATCH_FUNCTION_APP_NAME" \
  --query "systemKeys.blobs_extension" --output tsv)
host=$(az functionapp show --resource-group "$AZURE_RESOURCE_GROUP" --name "$BATCH_FUNCTION_APP_NAME" \
  --query "defaultHostName" --output tsv)
az eventgrid system-topic event-subscription create \
  --resource-group "$AZURE_RESOURCE_GROUP" \
  --system-topic-name "$EVENT_GRID_SYSTEM_TOPIC" \
  --name batch-uploads \
  --endpoint-type webhook \
  --endpoint "https://$host/runtime/webhooks/blobs?functionName=Host.Functions.ProcessUploadedBatch&code=$key" \
  --included-event-types Microsoft.Storage.BlobCreated \
  --subject-begins-with /blobServices/default/containers/batch-uploads/ \
  --output none
echo "Batch uploads now start processing as they land."
