// The Api app: the HTTP API and the customer's payment pages. It writes requests, batches and payments (tables),
// signs upload URLs with a user delegation key and checks uploads (blobs), queues confirmed batches, publishes send
// messages, takes Communication Services' events, and reads the Stripe keys and the carrier events key from Key Vault.

import { roles } from '../core/security/roles.bicep'

param name string
param location string
param tags object
param planId string
param storageAccountName string
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

module storageAccess '../core/security/storage-access.bicep' = {
  name: 'api-storage-access'
  params: {
    storageAccountName: storageAccountName
    principalId: identity.properties.principalId
    roleIds: [roles.storageBlobDataOwner, roles.storageQueueDataMessageSender, roles.storageTableDataContributor]
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
