// The suite's storage account: private (no public blob access, no shared keys: Entra ID only), HTTPS and TLS 1.2,
// with the containers, queues and tables the apps use.

param name string
param location string
param tags object
param containers string[]
param queues string[]
param tables string[]

@description('Where the account\'s logs (every read, write and delete of blobs, queues and tables) and metrics go.')
param logAnalyticsWorkspaceId string

@description('Origins whose pages may PUT a file to an upload URL (CORS on the blob service); nothing else is allowed.')
param uploadOrigins string[] = []

@description('How long undeliverable carrier events are kept for an operator, in days.')
param deadLetterRetentionDays int = 30

resource account 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: { defaultAction: 'Allow', bypass: 'AzureServices' }
  }

  resource blobs 'blobServices' = {
    name: 'default'
    properties: {
      deleteRetentionPolicy: { enabled: true, days: 7 }
      cors: {
        corsRules: empty(uploadOrigins) ? [] : [
          {
            allowedOrigins: uploadOrigins
            allowedMethods: ['PUT']
            // As StorageClients.UploadHeaders, which the local runtime gives Azurite.
            allowedHeaders: ['content-type', 'x-ms-blob-type', 'x-ms-version', 'x-ms-client-request-id']
            exposedHeaders: ['x-ms-request-id', 'x-ms-error-code']
            maxAgeInSeconds: 600
          }
        ]
      }
    }

    resource container 'containers' = [for container in containers: {
      name: container
      properties: { publicAccess: 'None' }
    }]
  }

  resource queueService 'queueServices' = {
    name: 'default'

    resource queue 'queues' = [for queue in queues: {
      name: queue
    }]
  }

  resource tableService 'tableServices' = {
    name: 'default'

    resource table 'tables' = [for table in tables: {
      name: table
    }]
  }

  // Batch files hold customers' details: an upload left behind, or a processed file's empty stand-in (kept so its
  // upload URL cannot write again), is deleted after a day.
  resource lifecycle 'managementPolicies' = {
    name: 'default'
    properties: {
      policy: {
        rules: [
          {
            // Undeliverable carrier events hold recipients and inbound texts: kept for an operator, then deleted.
            name: 'delete-old-carrier-dead-letters'
            enabled: true
            type: 'Lifecycle'
            definition: {
              filters: { blobTypes: ['blockBlob'], prefixMatch: ['carrier-events-deadletter/'] }
              actions: {
                baseBlob: { delete: { daysAfterModificationGreaterThan: deadLetterRetentionDays } }
              }
            }
          }
          {
            name: 'delete-stale-batch-uploads'
            enabled: true
            type: 'Lifecycle'
            definition: {
              filters: { blobTypes: ['blockBlob'], prefixMatch: ['batch-uploads/'] }
              actions: {
                baseBlob: { delete: { daysAfterModificationGreaterThan: 1 } }
                snapshot: { delete: { daysAfterCreationGreaterThan: 1 } }
              }
            }
          }
        ]
      }
    }
  }
}

output name string = account.name
output id string = account.id
output blobEndpoint string = account.properties.primaryEndpoints.blob

// Every service's logs and metrics to the Log Analytics workspace.
// diagnosticSettings has no version newer than this preview (its GA version predates log categories and workspaces).
#disable-next-line use-recent-api-versions
resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: account::blobs
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [{ categoryGroup: 'allLogs', enabled: true }]
    metrics: [{ category: 'Transaction', enabled: true }]
  }
}

#disable-next-line use-recent-api-versions // the newest version there is
resource queueDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: account::queueService
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [{ categoryGroup: 'allLogs', enabled: true }]
    metrics: [{ category: 'Transaction', enabled: true }]
  }
}

#disable-next-line use-recent-api-versions // the newest version there is
resource tableDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: account::tableService
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [{ categoryGroup: 'allLogs', enabled: true }]
    metrics: [{ category: 'Transaction', enabled: true }]
  }
}
