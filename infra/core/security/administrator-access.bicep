// Lets the deploying user administer merchants and keys (tables) with their own Entra ID sign-in.

import { roles } from 'roles.bicep'

param principalId string
param storageAccountName string

module tables 'storage-access.bicep' = {
  name: 'administrator-storage'
  params: {
    storageAccountName: storageAccountName
    principalId: principalId
    principalType: 'User'
    roleIds: [roles.storageTableDataContributor]
  }
}
