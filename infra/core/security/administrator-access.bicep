// Lets the deploying user administer merchants and keys (tables) and put the payment provider's secrets in the
// vault, with their own Entra ID sign-in.

import { roles } from 'roles.bicep'

param principalId string
param storageAccountName string
param keyVaultName string

module tables 'storage-access.bicep' = {
  name: 'administrator-storage'
  params: {
    storageAccountName: storageAccountName
    principalId: principalId
    principalType: 'User'
    roleIds: [roles.storageTableDataContributor]
  }
}

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' existing = {
  name: keyVaultName
}

resource secretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, roles.keyVaultSecretsOfficer)
  scope: vault
  properties: {
    principalId: principalId
    principalType: 'User'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
  }
}
