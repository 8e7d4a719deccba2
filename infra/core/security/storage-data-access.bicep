// Data-plane roles for one identity, each on the one container, queue or table it is for: an app reaches only the
// data it uses. Account-wide roles are for what has no narrower scope (a user delegation key is the account's).

import { roles } from 'roles.bicep'

param storageAccountName string
param principalId string

@description('Roles on the whole account: only those whose actions exist at account scope alone (Storage Blob Delegator).')
param accountRoleIds string[] = []

@description('{ name, roleId } for each container the identity uses.')
param containers object[] = []

@description('The queues the identity uses, each given queueRoleId.')
param queues string[] = []
param queueRoleId string = ''

@description('The tables the identity uses, each given Storage Table Data Contributor (the one table role there is for data).')
param tables string[] = []

resource account 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageAccountName

  resource blobService 'blobServices' existing = {
    name: 'default'
  }

  resource queueService 'queueServices' existing = {
    name: 'default'
  }

  resource tableService 'tableServices' existing = {
    name: 'default'
  }
}

resource accountAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for roleId in accountRoleIds: {
  name: guid(account.id, principalId, roleId)
  scope: account
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
  }
}]

resource container 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' existing = [for c in containers: {
  parent: account::blobService
  name: c.name
}]

resource containerAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (c, i) in containers: {
  name: guid(container[i].id, principalId, c.roleId)
  scope: container[i]
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', c.roleId)
  }
}]

resource queue 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-06-01' existing = [for name in queues: {
  parent: account::queueService
  name: name
}]

resource queueAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (name, i) in queues: {
  name: guid(queue[i].id, principalId, queueRoleId)
  scope: queue[i]
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', queueRoleId)
  }
}]

resource table 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-06-01' existing = [for name in tables: {
  parent: account::tableService
  name: name
}]

resource tableAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (name, i) in tables: {
  name: guid(table[i].id, principalId, roles.storageTableDataContributor)
  scope: table[i]
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
  }
}]
