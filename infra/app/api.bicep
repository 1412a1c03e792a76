// The Functions app on a Flex Consumption plan (FC1, Linux), running as the user-assigned identity,
// with identity-based connections only (no keys or connection strings with secrets in its settings).

@description('Name of the function app.')
param name string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Region of the plan and the app.')
param location string

@description('Tags for the plan and the app.')
param tags object

@description('Name of the service in azure.yaml: azd finds the app to deploy by the tag azd-service-name with this value, and it must be the only resource so tagged.')
param serviceName string

@description('Name of the user-assigned identity the app runs as.')
param identityName string

@description('Name of the storage account (AzureWebJobsStorage, object store, deployment container).')
param storageAccountName string

@description('Blob container Flex Consumption deploys the app package from.')
param deploymentContainerName string

@description('Name of the Application Insights component.')
param applicationInsightsName string

@description('Memory of each instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Most instances the app may scale out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

// Each node: { name, subscriptionId, resourceGroup, region, cpu, memoryGi, pods }, as main.bicep builds them.
// (Not a user-defined type: one would switch this module's compiled template to symbolic resource names,
// unlike every other module here.)
@description('The ACI worker nodes the app serves: name (the Node\'s name, a DNS label), subscriptionId, resourceGroup and region of its container groups, and the cpu (cores), memoryGi and pods it offers. Each becomes app settings Nodes__<name>__*.')
param aciNodes array = []

// { tenantId, audience, adminRole, viewRole } as main.bicep builds it, or empty: no Entra ID settings.
@description('The API\'s Microsoft Entra ID door: tenantId, audience (comma separated), adminRole and viewRole (app role names). Each becomes an app setting Auth__Entra__*. Empty: Entra ID tokens are not accepted.')
param entra object = {}

// Auth__Entra__<key>: the API's EntraOptions, as src/DurableKube.Api/Auth reads them.
var entraSettings = empty(entra)
  ? {}
  : {
      Auth__Entra__TenantId: entra.tenantId
      Auth__Entra__Audience: entra.audience
      Auth__Entra__AdminRole: entra.adminRole
      Auth__Entra__ViewRole: entra.viewRole
    }

// Nodes__<name>__<key>: the node registry's configuration, one setting per property of each node.
var nodeSettings = toObject(
  flatten(map(aciNodes, node => [
    { key: 'Nodes__${node.name}__Kind', value: 'aci' }
    { key: 'Nodes__${node.name}__SubscriptionId', value: node.subscriptionId }
    { key: 'Nodes__${node.name}__ResourceGroup', value: node.resourceGroup }
    { key: 'Nodes__${node.name}__Region', value: node.region }
    { key: 'Nodes__${node.name}__Cpu', value: string(node.cpu) }
    { key: 'Nodes__${node.name}__MemoryGi', value: string(node.memoryGi) }
    { key: 'Nodes__${node.name}__Pods', value: string(node.pods) }
    // The ACI runtime's credential: DefaultAzureCredential for this user-assigned identity.
    { key: 'Nodes__${node.name}__ClientId', value: identity.properties.clientId }
  ])),
  setting => setting.key,
  setting => setting.value
)

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true // Linux
  }
}

resource functionApp 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      runtime: {
        // The Bicep types (Microsoft.Web/sites@2024-11-01) type the version as a free string; 10.0 is
        // the .NET 10 isolated worker as the Flex Consumption runtime list and the Functions quickstarts give it.
        name: 'dotnet-isolated'
        version: '10.0'
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
    }
  }

  // Flex Consumption takes no FUNCTIONS_WORKER_RUNTIME or FUNCTIONS_EXTENSION_VERSION settings:
  // functionAppConfig.runtime says both.
  resource appSettings 'config' = {
    name: 'appsettings'
    properties: union({
      // Functions host and Durable Task hub storage (queues, tables, blobs), as the identity.
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identity.properties.clientId
      AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
      AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
      AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
      // Telemetry with Entra ID: the component has local authentication off.
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
      // DefaultAzureCredential in our code picks the user-assigned identity by this.
      AZURE_CLIENT_ID: identity.properties.clientId
      // Our object store (tables) and change queue: with service URIs set, it uses DefaultAzureCredential.
      Storage__TableServiceUri: storage.properties.primaryEndpoints.table
      Storage__QueueServiceUri: storage.properties.primaryEndpoints.queue
      // The change queue the store writes to and the queue trigger reads (its binding expression
      // %Storage__ChangeQueue% needs this setting, or the trigger does not start).
      Storage__ChangeQueue: 'kube-changes'
      // Azure cuts an HTTP response at about 230 s: watches end before that, and clients re-watch.
      KubernetesApi__MaxWatchTimeoutSeconds: '200'
      // No local node: pods run on the ACI nodes below, never as processes of the Functions worker (the
      // app refuses to start with Runtime__Kind=process). The ACI runtime signs in with
      // DefaultAzureCredential as the identity each node's ClientId names.
      Runtime__Kind: 'none'
    }, nodeSettings, entraSettings)
  }

  // No basic (user name and password) publishing: azd deploys with an Entra ID token.
  resource ftpCredentials 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: {
      allow: false
    }
  }

  resource scmCredentials 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }
}

output name string = functionApp.name
output uri string = 'https://${functionApp.properties.defaultHostName}'
