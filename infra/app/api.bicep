// The Api app: the HTTP API and the customer's payment pages. It writes requests, batches and payments (tables),
// signs upload URLs with a user delegation key and checks uploads (blobs), queues confirmed batches, publishes send
// messages, takes Communication Services' events, and reads the Stripe keys and the carrier events key from Key Vault.

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
param keyVaultName string
param appSettings object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: 'id-${name}'
  location: location
  tags: tags
}

module app '../core/host/function-app.bicep' = {
  name: 'api-app'
  params: {
    name: name
    location: location
    tags: tags
    serviceName: 'api'
    planId: planId
    identityId: identity.id
    identityClientId: identity.properties.clientId
    storageAccountName: storageAccountName
    deploymentStorageAccountName: deploymentStorageAccountName
    deploymentContainer: 'deploy-api'
    applicationInsightsName: applicationInsightsName
    logAnalyticsWorkspaceId: logAnalyticsWorkspaceId
    keyVaultReferenceIdentityId: identity.id
    appSettings: union(appSettings, {
      Payments__Gateway: 'stripe'
      Stripe__SecretKey: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=stripe-secret-key)'
      Stripe__WebhookSecret: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=stripe-webhook-secret)'
      // What Event Grid carries to /api/acs/events (azd generates it once and keeps it in the vault).
      CarrierEvents__Key: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=carrier-events-key)'
    })
  }
}

module storageAccess '../core/security/storage-data-access.bicep' = {
  name: 'api-storage-access'
  params: {
    storageAccountName: storageAccountName
    principalId: identity.properties.principalId
    // Signs upload URLs with a user delegation key (the account's: Storage Blob Delegator, which reads no data) and
    // checks uploads; queues confirmed batches and webhook work; every table but the local outbox.
    // The Functions host keeps its locks, timers and keys in its own two containers.
    accountRoleIds: [roles.storageBlobDelegator]
    containers: [
      { name: 'batch-uploads', roleId: roles.storageBlobDataContributor }
      { name: 'azure-webjobs-hosts', roleId: roles.storageBlobDataOwner }
      { name: 'azure-webjobs-secrets', roleId: roles.storageBlobDataOwner }
    ]
    queues: ['batch-process', 'webhook-deliveries']
    queueRoleId: roles.storageQueueDataMessageSender
    tables: ['Merchants', 'ApiKeys', 'PaymentRequests', 'PaymentRequestIndex', 'PaymentRequestStatus', 'PaymentRequestClaims', 'PaymentLinks', 'Schedule', 'Payments', 'Batches', 'BatchLines', 'Webhooks', 'OptOuts', 'DeliveryReferences', 'BatchFunnels', 'MessageCounts', 'Instances', 'LinkGuesses', 'Staff', 'MerchantStats']
  }
}

// Its own deployment package, which the platform writes and reads with this identity; no other app's.
module deploymentAccess '../core/security/storage-data-access.bicep' = {
  name: 'api-deployment-access'
  params: {
    storageAccountName: deploymentStorageAccountName
    principalId: identity.properties.principalId
    containers: [{ name: 'deploy-api', roleId: roles.storageBlobDataContributor }]
  }
}

module serviceBusAccess '../core/security/service-bus-access.bicep' = {
  name: 'api-service-bus-access'
  params: {
    serviceBusName: serviceBusName
    principalId: identity.properties.principalId
    roleIds: [roles.serviceBusDataSender]
  }
}

module keyVaultAccess '../core/security/key-vault-access.bicep' = {
  name: 'api-key-vault-access'
  params: {
    keyVaultName: keyVaultName
    principalId: identity.properties.principalId
  }
}

module monitoringAccess '../core/security/monitoring-access.bicep' = {
  name: 'api-monitoring-access'
  params: {
    applicationInsightsName: applicationInsightsName
    principalId: identity.properties.principalId
  }
}

output name string = app.outputs.name
output url string = app.outputs.url
