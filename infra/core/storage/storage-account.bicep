// The suite's storage account: private (no public blob access, no shared keys: Entra ID only), HTTPS and TLS 1.2,
// with the containers, queues and tables the apps use.

param name string
param location string
param tags object
param containers string[]
param queues string[]
param tables string[]

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
