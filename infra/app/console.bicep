// The console app: the staff console on App Service. Staff sign in with Microsoft Entra ID (OpenID Connect, the
// app registration's client id and secret); it makes, resends and cancels requests as the Api app does, so it writes
// their tables, publishes their sends and queues webhook work, and keeps its sessions and key ring in two tables of
// its own.

import { roles } from '../core/security/roles.bicep'

param name string
param location string
param tags object
param storageAccountName string
param serviceBusName string
param applicationInsightsName string
param logAnalyticsWorkspaceId string
param keyVaultName string
param appSettings object

@description('The console\'s Entra app registration (empty: nobody can sign in until it is set).')
param clientId string
param tenantId string
@description('Whether the registration\'s secret is in the vault (console-client-secret).')
param hasClientSecret bool

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: 'id-${name}'
  location: location
  tags: tags
}

module app '../core/host/web-app.bicep' = {
  name: 'console-app'
  params: {
    name: name
    planName: 'plan-${name}'
    location: location
    tags: tags
    serviceName: 'console'
    identityId: identity.id
    identityClientId: identity.properties.clientId
    applicationInsightsName: applicationInsightsName
    logAnalyticsWorkspaceId: logAnalyticsWorkspaceId
    keyVaultReferenceIdentityId: identity.id
    appSettings: union(appSettings, empty(clientId) ? {} : {
      Console__Authority: '${environment().authentication.loginEndpoint}${tenantId}/v2.0'
      Console__ClientId: clientId
    }, hasClientSecret ? {
      Console__ClientSecret: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=console-client-secret)'
    } : {}, {
      // Cancelling closes a checkout still open at the payment provider, as the API's cancel does.
      Payments__Gateway: 'stripe'
      Stripe__SecretKey: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=stripe-secret-key)'
      Stripe__WebhookSecret: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=stripe-webhook-secret)'
    })
  }
}

module storageAccess '../core/security/storage-data-access.bicep' = {
  name: 'console-storage-access'
  params: {
    storageAccountName: storageAccountName
    principalId: identity.properties.principalId
    // Requests, their links, sends, payments and schedule; batches as the Api app has them (it signs upload URLs with a
    // user delegation key, checks and discards uploads, reads a checked file's failing lines, queues confirmed batches);
    // staff; and its own sessions and key ring. Webhook work is queued as the Api app queues it.
    accountRoleIds: [roles.storageBlobDelegator]
    containers: [
      { name: 'batch-uploads', roleId: roles.storageBlobDataContributor }
    ]
    queues: ['batch-process', 'webhook-deliveries']
    queueRoleId: roles.storageQueueDataMessageSender
    tables: ['Merchants', 'PaymentRequests', 'PaymentRequestIndex', 'PaymentRequestStatus', 'PaymentRequestClaims', 'PaymentLinks', 'Schedule', 'Payments', 'Batches', 'BatchLines', 'BatchFunnels', 'Webhooks', 'OptOuts', 'DeliveryReferences', 'MessageCounts', 'Staff', 'ConsoleKeys', 'ConsoleSessions', 'MerchantStats', 'AuditLog']
  }
}

module serviceBusAccess '../core/security/service-bus-access.bicep' = {
  name: 'console-service-bus-access'
  params: {
    serviceBusName: serviceBusName
    principalId: identity.properties.principalId
    roleIds: [roles.serviceBusDataSender]
  }
}

module keyVaultAccess '../core/security/key-vault-access.bicep' = {
  name: 'console-key-vault-access'
  params: {
    keyVaultName: keyVaultName
    principalId: identity.properties.principalId
  }
}

module monitoringAccess '../core/security/monitoring-access.bicep' = {
  name: 'console-monitoring-access'
  params: {
    applicationInsightsName: applicationInsightsName
    principalId: identity.properties.principalId
  }
}

output name string = app.outputs.name
output url string = app.outputs.url
