// DurableKube in Azure: the resource group and everything `azd up` provisions into it.
// Plain resources and local modules only (no public registry modules), so it builds offline.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment. Names the resource group and seeds the unique suffix of every other name.')
param environmentName string

@minLength(1)
@description('Region of every resource. It must offer the Flex Consumption plan (az functionapp list-flexconsumption-locations).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the person (or pipeline) deploying, given the storage data roles to inspect objects, queues and the task hub. Empty: no such roles.')
param principalId string = ''

@description('Kind of principal principalId names: User for a person, ServicePrincipal for a pipeline.')
@allowed([
  'User'
  'ServicePrincipal'
])
param principalType string = 'User'

@description('Most Flex Consumption instances the app may scale out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 10

// The worker nodes: Azure Container Instances, one container group per pod. Each node is a scheduling
// budget (cores, memory, pods) over the node resource group, not a machine: nothing is billed until a
// pod runs. The subscription's ACI quota per region (by default 100 container groups and 100 cores,
// raisable) bounds them all together, so keep count x cpu and count x pods under it.

@description('Number of ACI worker nodes (aci-1, aci-2, ...). 0: no ACI nodes, the app serves the API only.')
@minValue(0)
@maxValue(20)
param aciNodeCount int = 1

@description('Region the ACI nodes create their container groups in (where ACI quota is free). Empty: the app\'s region.')
param aciNodeLocation string = ''

@description('Cores each ACI node offers to pods (its capacity and allocatable cpu).')
@minValue(1)
@maxValue(1000)
param aciNodeCpu int = 10

@description('Memory each ACI node offers to pods, in GiB (its capacity and allocatable memory).')
@minValue(1)
@maxValue(4000)
param aciNodeMemoryGi int = 40

@description('Pods (container groups) each ACI node accepts.')
@minValue(1)
@maxValue(1000)
param aciNodePods int = 50

// The API's door in Azure: Microsoft Entra ID access tokens, validated by the API itself (Auth__Entra__* app
// settings). The app registration is made beforehand (README, "Authentication in Azure"); without an audience no
// Entra ID setting is written and every request but /livez, /readyz, /healthz and /version answers 401.

@description('Audience of the API\'s Entra ID access tokens: the application id URI (e.g. api://durablekube) and/or the client id of its app registration, comma separated. Empty: Entra ID tokens are not accepted.')
param entraAudience string = ''

@description('Tenant of the app registration and of the users\' tokens. Empty: the tenant of the subscription deployed to.')
param entraTenantId string = ''

@description('App role of the app registration that makes a user an administrator (Kubernetes\' cluster-admin).')
@minLength(1)
param entraAdminRole string = 'DurableKube.Admin'

@description('App role of the app registration that makes a user a reader (Kubernetes\' view: no Secrets, no exec).')
@minLength(1)
param entraViewRole string = 'DurableKube.View'

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}

// azd finds the app to deploy by this tag; it must match the service name in azure.yaml.
var serviceName = 'api'
var functionAppName = '${abbrs.webSitesFunctions}${serviceName}-${resourceToken}'
var storageAccountName = '${abbrs.storageStorageAccounts}${resourceToken}'
var applicationInsightsName = '${abbrs.insightsComponents}${resourceToken}'
var identityName = '${abbrs.managedIdentityUserAssignedIdentities}${serviceName}-${resourceToken}'
// Flex Consumption reads the deployed package from this container.
var deploymentContainerName = 'app-package-${resourceToken}'
// The ACI nodes' container groups live in a group of their own, so the app's role reaches only them.
var nodeResourceGroupName = '${abbrs.resourcesResourceGroups}${environmentName}-nodes'
var nodeLocation = empty(aciNodeLocation) ? location : aciNodeLocation
var aciNodeNames = [for i in range(1, aciNodeCount): 'aci-${i}']
var entraTenant = empty(entraTenantId) ? tenant().tenantId : entraTenantId

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

resource nodeRg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: nodeResourceGroupName
  location: nodeLocation
  tags: tags
}

module identity 'core/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

module monitoring 'core/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: applicationInsightsName
    location: location
    tags: tags
  }
}

module storage 'core/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: storageAccountName
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
  }
}

// Names are passed as the deterministic values they are (not as module outputs), so that
// `azd provision --preview` (what-if) can predict the nested resources; dependsOn orders them.
module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storageAccountName
    applicationInsightsName: applicationInsightsName
    identityName: identityName
    principalId: principalId
    principalType: principalType
  }
  dependsOn: [
    identity
    monitoring
    storage
  ]
}

// The role is assigned in the node group's scope: a module deployed there.
module nodeAccess 'app/node-access.bicep' = {
  name: 'node-access'
  scope: nodeRg
  params: {
    identityName: identityName
    identityResourceGroupName: rg.name
  }
  dependsOn: [
    identity
  ]
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: functionAppName
    planName: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
    serviceName: serviceName
    identityName: identityName
    storageAccountName: storageAccountName
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: applicationInsightsName
    maximumInstanceCount: maximumInstanceCount
    entra: empty(entraAudience)
      ? {}
      : {
          tenantId: entraTenant
          audience: entraAudience
          adminRole: entraAdminRole
          viewRole: entraViewRole
        }
    aciNodes: [
      for name in aciNodeNames: {
        name: name
        subscriptionId: subscription().subscriptionId
        resourceGroup: nodeRg.name
        region: nodeLocation
        cpu: aciNodeCpu
        memoryGi: aciNodeMemoryGi
        pods: aciNodePods
      }
    ]
  }
  // The app starts reading storage, publishing telemetry and creating container groups as soon as it
  // exists: grant first.
  dependsOn: [
    rbac
    nodeAccess
  ]
}

// Read by azd into the environment (.azure/<env>/.env). Names and endpoints only: no keys, no secrets.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_TABLE_ENDPOINT string = storage.outputs.tableEndpoint
output AZURE_STORAGE_QUEUE_ENDPOINT string = storage.outputs.queueEndpoint
output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_URI string = api.outputs.uri
output AZURE_NODE_RESOURCE_GROUP string = nodeRg.name
output AZURE_NODE_LOCATION string = nodeLocation
output AZURE_ACI_NODES array = aciNodeNames
// What a kubeconfig's exec credential (kubelogin) needs: the tenant and the API's audience; empty audience: not set.
output AUTH_ENTRA_TENANT_ID string = empty(entraAudience) ? '' : entraTenant
output AUTH_ENTRA_AUDIENCE string = entraAudience
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.connectionString
