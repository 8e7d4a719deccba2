// The Batch app: processes uploaded batch files (blob trigger fed by Event Grid, batch-process queue trigger) and
// runs the schedule timer. It reads and deletes uploads, writes requests and lines, and publishes send messages.

import { roles } from '../core/security/roles.bicep'

param name string
param location string
param tags object
param planId string
param storageAccountName string
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
    deploymentContainer: 'deploy-batch'
    keyVaultReferenceIdentityId: identity.id
    applicationInsightsName: applicationInsightsName
    logAnalyticsWorkspaceId: logAnalyticsWorkspaceId
    appSettings: appSettings
  }
}

module storageAccess '../core/security/storage-access.bicep' = {
  name: 'batch-storage-access'
  params: {
    storageAccountName: storageAccountName
    principalId: identity.properties.principalId
    roleIds: [roles.storageBlobDataOwner, roles.storageQueueDataContributor, roles.storageTableDataContributor]
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
output eventGridSystemTopicName string = uploadEvents.name

module secretsKeyAccess '../core/security/key-vault-secret-access.bicep' = {
  name: 'batch-secrets-key-access'
  params: {
    keyVaultName: keyVaultName
    secretName: 'secrets-encryption-key'
    principalId: identity.properties.principalId
  }
}
