targetScope = 'subscription'

// PayByLink in Azure: one resource group holding storage, Service Bus, Communication Services, monitoring and
// three function apps on Flex Consumption. Every app reaches every service with its own managed identity and
// only the roles it needs: no keys or connection strings in app settings.

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; names and tags every resource.')
param environmentName string

@minLength(1)
@description('Primary location for all resources.')
param location string

@description('Data location of the Communication Services and Email resources.')
param communicationDataLocation string = 'Europe'

@description('Where customers reach the payment pages (a custom domain in front of the Api app); defaults to the Api app itself.')
param publicBaseUrl string = ''

@minLength(1)
@description('The SMS sender: a number or alphanumeric sender id bought for the Communication Services resource (azd asks for it).')
param smsSender string

@description('Object id of the deploying user, given data access for administration (azd sets it).')
param principalId string = ''

@secure()
@description('The key Event Grid carries to the Api app\'s carrier events endpoint (azd keeps it in Key Vault: secretOrRandomPassword).')
param carrierEventsKey string = ''

@secure()
@description('Key material for the key that encrypts stored secrets, such as webhook signing secrets (azd keeps it in Key Vault: secretOrRandomPassword).')
param secretsEncryptionKey string

@secure()
@description('Key material for the key rows are found under by a keyed hash of a value not stored in clear: links\' codes, opted-out recipients (azd keeps it in Key Vault: secretOrRandomPassword). It cannot rotate: every such row is found under it.')
param lookupKey string

@allowed(['on', 'off'])
@description('Whether Event Grid delivers Communication Services\' events to the Api app: on once its code is deployed (the post-deploy hook).')
param carrierEventsSubscription string = 'off'

@description('ACS SMS messages a minute for the resource: 200 until Azure Support raises it (learn.microsoft.com/azure/communication-services/concepts/service-limits).')
param smsPerMinute int = 200

@description('ACS email messages a minute: 30 for a new email resource until raised (concepts/email/email-quota-increase).')
param emailPerMinute int = 30

@description('The most instances the Notify app scales out to; each sends at most its share of the rates above.')
param notifyMaximumInstances int = 4

@description('The staff console\'s Microsoft Entra app registration (its application id); empty until it is registered (docs/console.md).')
param consoleClientId string = ''

@description('The Entra tenant staff sign in with.')
param consoleTenantId string = tenant().tenantId

@secure()
@description('The console registration\'s client secret (kept in Key Vault as console-client-secret).')
param consoleClientSecret string = ''

var tags = { 'azd-env-name': environmentName }
var token = toLower(uniqueString(subscription().id, environmentName, location))

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module monitoring 'core/monitor/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    location: location
    tags: tags
    logAnalyticsName: 'log-${token}'
    applicationInsightsName: 'appi-${token}'
  }
}

var consoleName = 'app-console-${token}'

module storage 'core/storage/storage-account.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    location: location
    tags: tags
    name: 'st${token}'
    containers: ['batch-uploads', 'carrier-events-deadletter', 'azure-webjobs-hosts', 'azure-webjobs-secrets']
    queues: ['batch-process', 'batch-process-poison', 'batch-chunks', 'batch-chunks-poison', 'webhook-deliveries', 'webhook-deliveries-poison']
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    // The console's pages PUT batch files straight to their upload URLs: only its origin may.
    uploadOrigins: ['https://${consoleName}.azurewebsites.net']
    tables: ['Merchants', 'ApiKeys', 'PaymentRequests', 'PaymentRequestIndex', 'PaymentRequestStatus', 'PaymentRequestClaims', 'PaymentLinks', 'Schedule', 'Payments', 'Batches', 'BatchLines', 'Webhooks', 'OptOuts', 'DeliveryReferences', 'BatchFunnels', 'MessageCounts', 'Instances', 'LinkGuesses', 'Staff', 'ConsoleKeys', 'ConsoleSessions', 'MerchantStats', 'AuditLog']
  }
}

// The apps' deployment packages, in an account of their own: no app's identity may write another's code, and none
// may write code from the data account.
module deploymentStorage 'core/storage/storage-account.bicep' = {
  name: 'deployment-storage'
  scope: rg
  params: {
    location: location
    tags: tags
    name: 'stdeploy${token}'
    containers: ['deploy-api', 'deploy-batch', 'deploy-notify']
    queues: []
    tables: []
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
  }
}

module serviceBus 'core/messaging/service-bus.bicep' = {
  name: 'service-bus'
  scope: rg
  params: {
    location: location
    tags: tags
    name: 'sb-${token}'
    queues: ['send-sms', 'send-email']
    sessionQueues: ['send-sms-bulk', 'send-email-bulk']
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
  }
}

module communication 'core/communication/communication.bicep' = {
  name: 'communication'
  scope: rg
  params: {
    tags: tags
    name: 'acs-${token}'
    emailServiceName: 'email-${token}'
    dataLocation: communicationDataLocation
  }
}

module keyVault 'core/security/key-vault.bicep' = {
  name: 'key-vault'
  scope: rg
  params: {
    location: location
    tags: tags
    name: 'kv-${token}'
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
  }
}

module plan 'core/host/flex-plan.bicep' = {
  name: 'plan'
  scope: rg
  params: {
    location: location
    tags: tags
    name: 'plan-${token}'
  }
}

// Settings every app reads; each app adds its own.
var sharedSettings = {
  PayByLinkStorage__accountName: storage.outputs.name
  PayByLinkStorage__credential: 'managedidentity'
  PayByLinkServiceBus__fullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
  PayByLink__PublicBaseUrl: empty(publicBaseUrl) ? 'https://func-api-${token}.azurewebsites.net' : publicBaseUrl
  // Webhooks only over https, and never to private, loopback or link-local addresses.
  Webhooks__LocalRuntime: 'false'
  // Webhook signing secrets are stored encrypted under this key; its id is stored beside each one, so it can rotate.
  Secrets__EncryptionKey: '@Microsoft.KeyVault(VaultName=${keyVault.outputs.name};SecretName=secrets-encryption-key)'
  Secrets__EncryptionKeyId: '1'
  // Rows found by a value that is not stored in clear (a link's code, an opted-out recipient) are keyed by its HMAC under this key.
  Secrets__LookupKey: '@Microsoft.KeyVault(VaultName=${keyVault.outputs.name};SecretName=lookup-key)'
  // The number texts come from: customers text STOP to it, so a batch's review and the opt-out list look STOPs up by it.
  Acs__SmsFrom: smsSender
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    location: location
    tags: tags
    name: 'func-api-${token}'
    planId: plan.outputs.id
    storageAccountName: storage.outputs.name
    deploymentStorageAccountName: deploymentStorage.outputs.name
    serviceBusName: serviceBus.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    keyVaultName: keyVault.outputs.name
    appSettings: sharedSettings
  }
}

module batch 'app/batch.bicep' = {
  name: 'batch'
  scope: rg
  dependsOn: [secretsEncryptionSecret, lookupSecret]
  params: {
    location: location
    tags: tags
    name: 'func-batch-${token}'
    planId: plan.outputs.id
    storageAccountName: storage.outputs.name
    deploymentStorageAccountName: deploymentStorage.outputs.name
    serviceBusName: serviceBus.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    keyVaultName: keyVault.outputs.name
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    // The webhook queue trigger's retry policy: 1 minute doubling to 6 hours, for 3 days; an endpoint failing
    // throughout is disabled.
    appSettings: union(sharedSettings, {
      Webhooks__FirstRetry: '00:01:00'
      Webhooks__MaxRetryDelay: '06:00:00'
      Webhooks__GiveUpAfter: '3.00:00:00'
      Webhooks__DisableAfter: '3.00:00:00'
      // An endpoint has 10 s to answer; a post is its worker's for 30 s.
      Webhooks__Timeout: '00:00:10'
      Webhooks__Lease: '00:00:30'
      // A chunk worker publishes no more while 1,000 sends wait, for at most 5 s before its next group.
      Batches__MaxSendsWaiting: '1000'
      Batches__MaxWaitForSenders: '00:00:05'
    })
  }
}

module secretsEncryptionSecret 'core/security/key-vault-secret.bicep' = {
  name: 'secrets-encryption-secret'
  scope: rg
  params: {
    keyVaultName: keyVault.outputs.name
    name: 'secrets-encryption-key'
    value: secretsEncryptionKey
  }
}

module lookupSecret 'core/security/key-vault-secret.bicep' = {
  name: 'lookup-secret'
  scope: rg
  params: {
    keyVaultName: keyVault.outputs.name
    name: 'lookup-key'
    value: lookupKey
  }
}

module carrierEventsSecret 'core/security/key-vault-secret.bicep' = if (!empty(carrierEventsKey)) {
  name: 'carrier-events-secret'
  scope: rg
  params: {
    keyVaultName: keyVault.outputs.name
    name: 'carrier-events-key'
    value: carrierEventsKey
  }
}

module carrierEvents 'core/communication/carrier-events.bicep' = {
  name: 'carrier-events'
  scope: rg
  params: {
    tags: tags
    communicationServiceName: communication.outputs.name
    storageAccountName: storage.outputs.name
    deadLetterContainer: 'carrier-events-deadletter'
    subscribe: carrierEventsSubscription == 'on' && !empty(carrierEventsKey)
    endpointUrl: '${api.outputs.url}/api/acs/events?key=${carrierEventsKey}'
  }
}

module notify 'app/notify.bicep' = {
  name: 'notify'
  scope: rg
  dependsOn: [secretsEncryptionSecret, lookupSecret]
  params: {
    location: location
    tags: tags
    name: 'func-notify-${token}'
    planId: plan.outputs.id
    storageAccountName: storage.outputs.name
    deploymentStorageAccountName: deploymentStorage.outputs.name
    serviceBusName: serviceBus.outputs.name
    communicationServiceName: communication.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    keyVaultName: keyVault.outputs.name
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    maximumInstanceCount: notifyMaximumInstances
    appSettings: union(sharedSettings, {
      Acs__Endpoint: communication.outputs.endpoint
      Acs__EmailFrom: communication.outputs.emailSender
      Delivery__FirstRetryDelay: '00:00:10'
      Delivery__MaxRetryDelay: '00:10:00'
      Delivery__MaxDeliveryCount: '6'
      // A send left mid-call by a stopped sender waits this long for its carrier receipt before it goes again.
      Delivery__ReceiptWait: '00:15:00'
      Delivery__SendingLease: '00:00:30'
      // The providers' rates for the whole resource, shared out between the Notify app's instances (docs/scale.md).
      Delivery__SmsPerMinute: string(smsPerMinute)
      Delivery__EmailPerMinute: string(emailPerMinute)
      Delivery__SharedBy: string(notifyMaximumInstances)
    })
  }
}

module consoleSecret 'core/security/key-vault-secret.bicep' = if (!empty(consoleClientSecret)) {
  name: 'console-client-secret'
  scope: rg
  params: {
    keyVaultName: keyVault.outputs.name
    name: 'console-client-secret'
    value: consoleClientSecret
  }
}

module console 'app/console.bicep' = {
  name: 'console'
  scope: rg
  dependsOn: [secretsEncryptionSecret, lookupSecret, consoleSecret]
  params: {
    location: location
    tags: tags
    name: consoleName
    storageAccountName: storage.outputs.name
    serviceBusName: serviceBus.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    keyVaultName: keyVault.outputs.name
    appSettings: sharedSettings
    clientId: consoleClientId
    tenantId: consoleTenantId
    hasClientSecret: !empty(consoleClientSecret)
  }
}

module administrator 'core/security/administrator-access.bicep' = if (!empty(principalId)) {
  name: 'administrator-access'
  scope: rg
  params: {
    principalId: principalId
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
  }
}

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output SERVICE_BUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output API_BASE_URL string = '${api.outputs.url}/api/v1'
output BATCH_FUNCTION_APP_NAME string = batch.outputs.name
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output EVENT_GRID_SYSTEM_TOPIC string = batch.outputs.eventGridSystemTopicName
output NOTIFY_FUNCTION_APP_NAME string = notify.outputs.name
output CARRIER_EVENTS_SYSTEM_TOPIC string = carrierEvents.outputs.systemTopicName
output CONSOLE_URL string = '${console.outputs.url}/console'
output CONSOLE_SIGN_IN_REDIRECT_URI string = '${console.outputs.url}/console/signin-oidc'
