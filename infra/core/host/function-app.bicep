// A .NET isolated function app on Flex Consumption: HTTPS only, TLS 1.2, FTPS and basic publishing off, its code
// deployed to a blob container and every connection made with its user-assigned identity.

param name string
param location string
param tags object
@description('The azd service this app deploys (azure.yaml).')
param serviceName string
param planId string
param identityId string
param identityClientId string
@description('The account of the suite\'s data, which is also the Functions host\'s own storage.')
param storageAccountName string
@description('The account holding the apps\' deployment packages, apart from the data: each app may write its own container alone.')
param deploymentStorageAccountName string
param deploymentContainer string
param applicationInsightsName string

@description('Where the app\'s platform logs (function executions, host logs) and metrics go.')
param logAnalyticsWorkspaceId string
@description('The identity that resolves Key Vault references in app settings (empty: the app has none).')
param keyVaultReferenceIdentityId string = ''
param appSettings object

@description('The most instances the app scales out to.')
param maximumInstanceCount int = 100

resource deploymentStorage 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: deploymentStorageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: planId
    httpsOnly: true
    keyVaultReferenceIdentity: empty(keyVaultReferenceIdentityId) ? null : keyVaultReferenceIdentityId
    clientCertEnabled: false
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${deploymentStorage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: 2048
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    properties: union(appSettings, {
      // What is for a developer's machine only (the test gateway, /dev) refuses to run where this says Azure.
      PAYBYLINK_ENVIRONMENT: 'Azure'
      // The Functions host's own storage, and the identity every connection uses.
      AzureWebJobsStorage__accountName: storageAccountName
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      PayByLinkStorage__clientId: identityClientId
      PayByLinkServiceBus__credential: 'managedidentity'
      PayByLinkServiceBus__clientId: identityClientId
      AZURE_CLIENT_ID: identityClientId
      // The connection string only says where telemetry goes: local authentication is off, so it is
      // accepted only with the identity's token.
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    })
  }

  resource ftp 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: { allow: false }
  }

  resource scm 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: { allow: false }
  }
}

#disable-next-line use-recent-api-versions // the newest version there is
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: app
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [{ categoryGroup: 'allLogs', enabled: true }]
    metrics: [{ category: 'AllMetrics', enabled: true }]
  }
}

output name string = app.name
output url string = 'https://${app.properties.defaultHostName}'
