// A .NET web app on App Service (Linux) with a plan of its own: HTTPS only, TLS 1.2, FTPS and basic publishing off,
// always on, its every connection made with its user-assigned identity, and its logs to the workspace.

param name string
param planName string
param location string
param tags object
@description('The azd service this app deploys (azure.yaml).')
param serviceName string
param identityId string
param identityClientId string
param applicationInsightsName string
param logAnalyticsWorkspaceId string
@description('The identity that resolves Key Vault references in app settings.')
param keyVaultReferenceIdentityId string
param appSettings object

@description('The plan\'s size: B1 serves a contact centre\'s console; P0v3 and up for zone redundancy.')
param sku string = 'B1'

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'linux'
  sku: { name: sku }
  properties: { reserved: true }
}

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: keyVaultReferenceIdentityId
    clientCertEnabled: false
    siteConfig: {
      linuxFxVersion: 'DOTNETCORE|10.0'
      alwaysOn: true
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      healthCheckPath: '/api/health'
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    properties: union(appSettings, {
      // What is for a developer's machine only (the development sign-in) refuses to run where this says Azure.
      PAYBYLINK_ENVIRONMENT: 'Azure'
      // App Service ends TLS in front of the app: the scheme it forwards makes sign-in's return address https.
      ASPNETCORE_FORWARDEDHEADERS_ENABLED: 'true'
      PayByLinkStorage__clientId: identityClientId
      PayByLinkServiceBus__credential: 'managedidentity'
      PayByLinkServiceBus__clientId: identityClientId
      AZURE_CLIENT_ID: identityClientId
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
