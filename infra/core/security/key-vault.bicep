// Key Vault for the payment provider's secrets: RBAC only, purge protection on, reached by identity. The app reads
// them through Key Vault references; the operator puts the values in after provisioning.

param name string
param location string
param tags object

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    enablePurgeProtection: true
    softDeleteRetentionInDays: 30
    publicNetworkAccess: 'Enabled'
  }
}

output name string = vault.name
