// Lets one identity read one secret of the vault, and no other (Key Vault Secrets User on the secret itself).

import { roles } from 'roles.bicep'

param keyVaultName string
param secretName string
param principalId string

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' existing = {
  name: keyVaultName

  resource secret 'secrets' existing = {
    name: secretName
  }
}

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault::secret.id, principalId, roles.keyVaultSecretsUser)
  scope: vault::secret
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}
