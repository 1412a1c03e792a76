// The app's user-assigned managed identity: every data-plane call the app makes (Functions host,
// Durable Task hub, our object store, telemetry) authenticates as it. Its roles are in app/rbac.bicep.

@description('Name of the identity.')
param name string

@description('Region of the identity.')
param location string

@description('Tags for the identity.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

output name string = identity.name
output id string = identity.id
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
