// One Flex Consumption plan (Linux) for the three function apps.

param name string
param location string
param tags object

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

output id string = plan.id
