// Azure Communication Services with an Email service and an Azure-managed sender domain linked to it.
// SMS needs a phone number or alphanumeric sender bought for the resource (Acs__SmsFrom), which Bicep cannot do.

param name string
param emailServiceName string
param tags object
param dataLocation string

resource emailService 'Microsoft.Communication/emailServices@2025-05-01' = {
  name: emailServiceName
  location: 'global'
  tags: tags
  properties: { dataLocation: dataLocation }

  resource domain 'domains' = {
    name: 'AzureManagedDomain'
    location: 'global'
    properties: {
      domainManagement: 'AzureManaged'
      userEngagementTracking: 'Disabled'
    }
  }
}

resource communication 'Microsoft.Communication/communicationServices@2025-05-01' = {
  name: name
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
    linkedDomains: [emailService::domain.id]
  }
}

output name string = communication.name
output endpoint string = 'https://${communication.properties.hostName}'
output emailSender string = 'DoNotReply@${emailService::domain.properties.mailFromSenderDomain}'
