// The Notify app: Service Bus triggers on the send queues, delivering through Communication Services. It receives
// and reschedules send messages, reads requests and writes delivery records.

import { roles } from '../core/security/roles.bicep'

param name string
param location string
param tags object
param planId string
param storageAccountName string
param deploymentStorageAccountName string
param serviceBusName string

@description('The most instances the Notify app scales out to: the providers\' rates are shared out between them.')
param maximumInstanceCount int
param communicationServiceName string
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
  name: 'notify-app'
  params: {
    name: name
    location: location
    tags: tags
    serviceName: 'notify'
    planId: planId
    identityId: identity.id
    identityClientId: identity.properties.clientId
    storageAccountName: storageAccountName
    deploymentStorageAccountName: deploymentStorageAccountName
    deploymentContainer: 'deploy-notify'
    keyVaultReferenceIdentityId: identity.id
    applicationInsightsName: applicationInsightsName
    logAnalyticsWorkspaceId: logAnalyticsWorkspaceId
    appSettings: appSettings
    maximumInstanceCount: maximumInstanceCount
  }
}

module storageAccess '../core/security/storage-data-access.bicep' = {
  name: 'notify-storage-access'
  params: {
    storageAccountName: storageAccountName
    principalId: identity.properties.principalId
    // Reads requests and records their sends (with the batch counts, funnels and webhook work their events make), checks
    // opt-outs, records carrier references; queues webhook work.
    // The Functions host keeps its locks, timers and keys in its own two containers.
    accountRoleIds: []
    containers: [
      { name: 'azure-webjobs-hosts', roleId: roles.storageBlobDataOwner }
      { name: 'azure-webjobs-secrets', roleId: roles.storageBlobDataOwner }
    ]
    queues: ['webhook-deliveries']
    queueRoleId: roles.storageQueueDataMessageSender
    tables: ['Merchants', 'PaymentRequests', 'PaymentRequestStatus', 'OptOuts', 'DeliveryReferences', 'Webhooks', 'Batches', 'BatchLines', 'BatchFunnels', 'MerchantStats']
  }
}

// Its own deployment package, which the platform writes and reads with this identity; no other app's.
module deploymentAccess '../core/security/storage-data-access.bicep' = {
  name: 'notify-deployment-access'
  params: {
    storageAccountName: deploymentStorageAccountName
    principalId: identity.properties.principalId
    containers: [{ name: 'deploy-notify', roleId: roles.storageBlobDataContributor }]
  }
}

module serviceBusAccess '../core/security/service-bus-access.bicep' = {
  name: 'notify-service-bus-access'
  params: {
    serviceBusName: serviceBusName
    principalId: identity.properties.principalId
    // Receives sends; sends the scheduled retry copy of a send that failed for a reason worth retrying.
    roleIds: [roles.serviceBusDataReceiver, roles.serviceBusDataSender]
  }
}

module communicationAccess '../core/security/communication-access.bicep' = {
  name: 'notify-communication-access'
  params: {
    communicationServiceName: communicationServiceName
    principalId: identity.properties.principalId
  }
}

module monitoringAccess '../core/security/monitoring-access.bicep' = {
  name: 'notify-monitoring-access'
  params: {
    applicationInsightsName: applicationInsightsName
    principalId: identity.properties.principalId
  }
}

output name string = app.outputs.name

module secretsKeyAccess '../core/security/key-vault-secret-access.bicep' = {
  name: 'notify-secrets-key-access'
  params: {
    keyVaultName: keyVaultName
    secretName: 'secrets-encryption-key'
    principalId: identity.properties.principalId
  }
}

module lookupKeyAccess '../core/security/key-vault-secret-access.bicep' = {
  name: 'notify-lookup-key-access'
  params: {
    keyVaultName: keyVaultName
    secretName: 'lookup-key'
    principalId: identity.properties.principalId
  }
}
