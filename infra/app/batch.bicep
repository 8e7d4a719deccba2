// The Batch app: processes uploaded batch files (blob trigger fed by Event Grid, batch-process queue trigger) and
// runs the schedule timer. It reads and deletes uploads, writes requests and lines, and publishes send messages.

import { roles } from '../core/security/roles.bicep'

param name string
param location string
param tags object
param planId string
param storageAccountName string
param deploymentStorageAccountName string
param serviceBusName string
param applicationInsightsName string
param logAnalyticsWorkspaceId string
param appSettings object

@description('The vault holding the key that encrypts stored secrets, which this app reads and nothing else of the vault.')
param keyVaultName string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: 'id-${name}'
  location: location
  tags: tags
}

module app '../core/host/function-app.bicep' = {
  name: 'batch-app'
  params: {
    name: name
    location: location
    tags: tags
    serviceName: 'batch'
    planId: planId
    identityId: identity.id
    identityClientId: identity.properties.clientId
    storageAccountName: storageAccountName
    deploymentStorageAccountName: deploymentStorageAccountName
    deploymentContainer: 'deploy-batch'
    keyVaultReferenceIdentityId: identity.id
    applicationInsightsName: applicationInsightsName
    logAnalyticsWorkspaceId: logAnalyticsWorkspaceId
    appSettings: appSettings
  }
}

module storageAccess '../core/security/storage-data-access.bicep' = {
  name: 'batch-storage-access'
  params: {
    storageAccountName: storageAccountName
    principalId: identity.properties.principalId
    // Reads and replaces uploads; takes its queues' messages (and their poison queues'), queues chunks and webhook
    // work; the tables of requests, batches, the schedule, payments, webhooks, opt-outs and the counts it expires.
    // The Functions host keeps its locks, timers and keys in its own two containers.
    accountRoleIds: []
    containers: [
      { name: 'batch-uploads', roleId: roles.storageBlobDataContributor }
      { name: 'azure-webjobs-hosts', roleId: roles.storageBlobDataOwner }
      { name: 'azure-webjobs-secrets', roleId: roles.storageBlobDataOwner }
    ]
    queues: ['batch-process', 'batch-process-poison', 'batch-chunks', 'batch-chunks-poison', 'webhook-deliveries', 'webhook-deliveries-poison']
    queueRoleId: roles.storageQueueDataContributor
    tables: ['Merchants', 'PaymentRequests', 'PaymentRequestIndex', 'PaymentRequestStatus', 'PaymentRequestClaims', 'PaymentLinks', 'Schedule', 'Payments', 'Batches', 'BatchLines', 'Webhooks', 'OptOuts', 'BatchFunnels', 'MessageCounts', 'LinkGuesses', 'MerchantStats']
  }
}

// Its own deployment package, which the platform writes and reads with this identity; no other app's.
module deploymentAccess '../core/security/storage-data-access.bicep' = {
  name: 'batch-deployment-access'
  params: {
    storageAccountName: deploymentStorageAccountName
    principalId: identity.properties.principalId
    containers: [{ name: 'deploy-batch', roleId: roles.storageBlobDataContributor }]
  }
}

module serviceBusAccess '../core/security/service-bus-access.bicep' = {
  name: 'batch-service-bus-access'
  params: {
    serviceBusName: serviceBusName
    principalId: identity.properties.principalId
    roleIds: [roles.serviceBusDataSender]
  }
}

module monitoringAccess '../core/security/monitoring-access.bicep' = {
  name: 'batch-monitoring-access'
  params: {
    applicationInsightsName: applicationInsightsName
    principalId: identity.properties.principalId
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageAccountName
}

// BlobCreated events of the storage account; the post-deploy hook subscribes the blob trigger's endpoint to the
// upload container's events (its key exists only once the app is deployed).
resource uploadEvents 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: 'evgt-${storageAccountName}'
  location: location
  tags: tags
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

output name string = app.outputs.name

module lookupKeyAccess '../core/security/key-vault-secret-access.bicep' = {
  name: 'batch-lookup-key-access'
  params: {
    keyVaultName: keyVaultName
    secretName: 'lookup-key'
    principalId: identity.properties.principalId
  }
}
output eventGridSystemTopicName string = uploadEvents.name

module secretsKeyAccess '../core/security/key-vault-secret-access.bicep' = {
  name: 'batch-secrets-key-access'
  params: {
    keyVaultName: keyVaultName
    secretName: 'secrets-encryption-key'
    principalId: identity.properties.principalId
  }
}
