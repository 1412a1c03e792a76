// The app's access to its worker nodes: "Azure Container Instances Contributor Role" for the app's
// user-assigned identity on the node resource group, and nothing wider. Deployed at the node group's
// scope (main.bicep), so the assignment's scope is that group: the app can create, read, restart, stop
// and delete container groups there, and nowhere else.

@description('Name of the app\'s user-assigned identity.')
param identityName string

@description('Resource group of the identity (the app\'s group, not this one).')
param identityResourceGroupName string

// Built-in role definition id (the same in every tenant).
var containerInstancesContributor = '5d977122-f97e-4b4d-a52f-6b43003ddb4d'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
  scope: resourceGroup(identityResourceGroupName)
}

resource appContainerInstancesContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, identity.id, containerInstancesContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', containerInstancesContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}
