// Service Bus for send messages: Entra ID only (local auth off), TLS 1.2, one queue per channel and lane with duplicate
// detection on the message id (the deterministic send id), a delivery limit and dead-lettering. The session queues
// (batch lines' sends) hold a session per merchant, so the Notify app serves merchants' files side by side.

param name string
param location string
param tags object
param queues string[]
param sessionQueues string[]

@description('Where the namespace\'s logs and metrics go.')
param logAnalyticsWorkspaceId string

resource namespace 'Microsoft.ServiceBus/namespaces@2026-01-01' = {
  name: name
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Standard' }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }

  resource queue 'queues' = [for queue in concat(queues, sessionQueues): {
    name: queue
    properties: {
      requiresSession: contains(sessionQueues, queue)
      requiresDuplicateDetection: true
      // The most the Standard tier allows: a 1,000,000-line file waits here at the provider's rate (docs/scale.md).
      maxSizeInMegabytes: 5120
      duplicateDetectionHistoryTimeWindow: 'P1D'
      maxDeliveryCount: 6
      lockDuration: 'PT5M'
      deadLetteringOnMessageExpiration: true
      defaultMessageTimeToLive: 'P14D'
    }
  }]
}

#disable-next-line use-recent-api-versions // the newest version there is
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: namespace
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [{ categoryGroup: 'allLogs', enabled: true }]
    metrics: [{ category: 'AllMetrics', enabled: true }]
  }
}

output name string = namespace.name
output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
